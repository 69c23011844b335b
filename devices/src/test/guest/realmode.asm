; Test guest: from multiboot's protected mode back to real mode and again to protected mode.
; In real mode: software interrupts and a #DE through its own IVT, segment arithmetic, the A20
; gate through port 0x92 (wrap-around at 1 MiB), and a descriptor cache that keeps the 4 GiB limit
; loaded in protected mode ("unreal mode", SDM vol. 3, 9.9.2 and 3.4.3). Prints on port 0xE9; the
; test compares the output with QEMU's. Flat multiboot image; build: nasm -f bin realmode.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
REAL_BASE       equ 0x8000              ; where the 16-bit code runs

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, image_end, entry

%include "lib.inc"

entry:
        mov     esp, 0x90000
        lgdt    [gdt_pointer]
        jmp     0x08:.flat
.flat:  mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     fs, ax                  ; FS keeps this 4 GiB limit into real mode
        mov     gs, ax
        mov     ss, ax
        PRINT   s_pm

        mov     dword [0x100000 + 0x7F0], 0xC0FFEE11 ; read back from real mode through FS
        mov     esi, section.real.start
        mov     edi, REAL_BASE
        mov     ecx, real_end - real_start
        rep movsb
        jmp     0x18:REAL_BASE          ; 16-bit protected mode first, then clear PE

back_in_pm:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     esp, 0x90000
        PRINT   s_back
        EXIT    0

        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code 32-bit flat
        dq      0x00CF92000000FFFF      ; 0x10 data flat
        dq      0x00009A000000FFFF      ; 0x18 code 16-bit, base 0, 64 KiB
        dq      0x000092000000FFFF      ; 0x20 data 16-bit, base 0, 64 KiB
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
s_pm:   db "protected mode", 10, 0
s_back: db "back in protected mode", 10, "done", 10, 0

; ---------------------------------------------------------------------------------------------
        section real vstart=REAL_BASE follows=.text
        bits 16
real_start:
        mov     ax, 0x20                ; 16-bit data segments before leaving protected mode
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     eax, cr0
        and     eax, ~1
        mov     cr0, eax
        jmp     0:real_mode
real_mode:
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7000
        lidt    [real_idt]
        mov     si, r_hello
        call    rprint

        ; INT 0x40 through our own IVT entry
        mov     word [0x40 * 4], int40
        mov     word [0x40 * 4 + 2], 0
        mov     ax, 0x1000
        int     0x40
        mov     si, r_int
        call    rprint
        call    rhex16
        call    rnl

        ; #DE in real mode: vector 0, IP at the DIV (a fault); the handler skips it
        mov     word [0], int0
        mov     word [2], 0
        mov     ax, 0x1234
        xor     bl, bl
div_site:
        div     bl
        mov     si, r_de
        call    rprint
        mov     ax, [de_ip]
        sub     ax, div_site
        call    rhex16
        mov     ax, [de_count]
        call    rhex16
        call    rnl

        ; segment arithmetic and the A20 gate (port 0x92 bit 1)
        mov     byte [0x500], 0x11
        mov     ax, 0xFFFF
        mov     es, ax
        mov     byte [es:0x510], 0x22    ; linear 0x100500
        mov     si, r_a20
        call    rprint
        mov     al, [0x500]
        call    rhex8
        in      al, 0x92
        and     al, 2
        call    rhex8
        in      al, 0x92
        and     al, ~3
        out     0x92, al                ; A20 off: 0xFFFF:0x510 wraps to 0x500
        mov     byte [es:0x510], 0x33
        mov     al, [0x500]
        call    rhex8
        in      al, 0x92
        or      al, 2
        and     al, ~1
        out     0x92, al                ; A20 on again
        mov     al, [es:0x510]
        call    rhex8
        mov     al, [0x500]
        call    rhex8
        call    rnl

        ; FS still has the 4 GiB limit of its protected-mode descriptor
        mov     si, r_unreal
        call    rprint
        mov     esi, 0x1007F0
        mov     eax, [fs:esi]
        call    rhex32
        mov     ax, fs
        call    rhex16
        call    rnl

        ; back to 32-bit protected mode
        cli
        lgdt    [cs:gdt_pointer_real]
        mov     eax, cr0
        or      eax, 1
        mov     cr0, eax
        jmp     dword 0x08:back_in_pm

int40:  add     ax, 0x0234
        iret

int0:   push    bp
        mov     bp, sp
        mov     ax, [bp + 2]            ; the saved IP
        mov     [de_ip], ax
        inc     word [de_count]
        add     word [bp + 2], 2        ; skip the two-byte DIV
        pop     bp
        iret

; rprint: the string at DS:SI
rprint: push    ax
        push    si
.next:  lodsb
        test    al, al
        jz      .done
        out     DEBUG_PORT, al
        jmp     .next
.done:  pop     si
        pop     ax
        ret

rnl:    push    ax
        mov     al, 10
        out     DEBUG_PORT, al
        pop     ax
        ret

; rhex8/rhex16/rhex32: AL, AX or EAX in hex, then a space
rhex8:  push    cx
        push    ax
        mov     cx, 2
        shl     ax, 8
        call    rdigits
        pop     ax
        pop     cx
        jmp     rspace
rhex16: push    cx
        push    ax
        mov     cx, 4
        call    rdigits
        pop     ax
        pop     cx
        jmp     rspace
rhex32: push    eax
        shr     eax, 16
        push    cx
        mov     cx, 4
        call    rdigits
        pop     cx
        pop     eax
        push    cx
        push    ax
        mov     cx, 4
        call    rdigits
        pop     ax
        pop     cx
        jmp     rspace
; rdigits: the top CX nibbles of AX (clobbers AX)
rdigits:
.next:  rol     ax, 4
        push    ax
        and     al, 0xF
        add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'a' - '9' - 1
.out:   out     DEBUG_PORT, al
        pop     ax
        loop    .next
        ret
rspace: push    ax
        mov     al, ' '
        out     DEBUG_PORT, al
        pop     ax
        ret

real_idt:
        dw      0x3FF
        dd      0
gdt_pointer_real:
        dw      gdt_end - gdt - 1
        dd      gdt
de_ip:    dw    0
de_count: dw    0
r_hello:  db "real mode", 10, 0
r_int:    db "int 0x40: ", 0
r_de:     db "div by zero: ", 0
r_a20:    db "a20: ", 0
r_unreal: db "unreal fs: ", 0
real_end:

image_end       equ section.real.start + (real_end - real_start)
