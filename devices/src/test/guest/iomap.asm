; Test guest: the I/O permission bitmap of the 32-bit TSS (SDM vol. 1, 19.5.2) for IN, OUT, INS and
; OUTS at CPL 3 with IOPL 0. The bitmap allows ports 0xE9 (the console, so ring 3 prints), 0x200,
; 0x202-0x203, 0x207, 0x20F-0x210 and 0x3FF, and denies the rest; the TSS limit ends at the byte
; after the bitmap. A word or dword access needs every bit of its ports clear: one straddling an
; allowed and a denied port is #GP(0), also across two bytes of the bitmap; a port whose bitmap
; bytes are beyond the TSS limit, or any port once the bitmap base is beyond it, is #GP(0). The
; string forms check before any data moves (ECX, ESI, EDI and memory unchanged), and a REP INS or
; OUTS with ECX = 0 on a denied port still faults (as the host CPU does). CPL 0, and CPL 3 with
; IOPL 3, ignore the bitmap. Faults print their vector, error code and saved EIP relative to the
; instruction (+0). Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin iomap.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
UCODE           equ 0x18 | 3
UDATA           equ 0x20 | 3
TSS_SEL         equ 0x28
BITMAP          equ 104                 ; offset of the bitmap in the TSS
BITMAP_BYTES    equ 0x80                ; ports 0-0x3FF; then one 0xFF byte, the TSS's last
TSS_LIMIT       equ BITMAP + BITMAP_BYTES
INT_EXIT        equ 0x30
INT_IOPL3       equ 0x31

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"
%include "sysfaults.inc"

; ALLOW port: clear the port's bit in the bitmap
%macro ALLOW 1
        mov     eax, %1
        btr     [tss + BITMAP], eax             ; a register bit offset reaches the whole bitmap
%endmacro

; TRY text, port, instruction: print text, run the instruction with DX = port, then "ok" or the fault
%macro TRY 3
        PRINT   %1
        mov     edx, %2
        EXPECT  %%next
        %3
        PRINT   s_ok
%%next: NEWLINE
%endmacro

; TRY_STRING text, port, count, instruction: as TRY with ECX = count, ESI = EDI = buffer, then
; after a fault the buffer's first dword (0x55 bytes before), then ECX and how far ESI and EDI moved
%macro TRY_STRING 4
        PRINT   %1
        mov     edx, %2
        mov     ecx, %3
        mov     esi, buffer
        mov     edi, buffer
        mov     dword [buffer], 0x55555555
        EXPECT  %%next
        %4
        PRINT   s_ok
        jmp     %%regs
%%next: PRINTHEX s_buffer, [buffer]
%%regs: PRINTHEX s_ecx, ecx
        sub     esi, buffer
        PRINTHEX s_esi, esi
        sub     edi, buffer
        PRINTHEX s_edi, edi
        NEWLINE
%endmacro

entry:
        mov     esp, kstack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        call    setup_exceptions
        mov     ecx, INT_EXIT
        mov     eax, exit_gate
        mov     edx, 0xEE00                     ; interrupt gate, DPL 3
        call    set_idt_gate
        mov     ecx, INT_IOPL3
        mov     eax, iopl3_gate
        call    set_idt_gate
        lidt    [idt_pointer]
        mov     edi, gdt + TSS_SEL
        mov     eax, tss
        call    set_base
        mov     dword [tss + 4], kstack_top
        mov     dword [tss + 8], KDATA
        mov     word [tss + 102], BITMAP
        mov     edi, tss + BITMAP
        mov     ecx, BITMAP_BYTES + 1
        mov     al, 0xFF
        rep stosb
        ALLOW   0xE9
        ALLOW   0x200
        ALLOW   0x202
        ALLOW   0x203
        ALLOW   0x207
        ALLOW   0x20F
        ALLOW   0x210
        ALLOW   0x3FF
        mov     ax, TSS_SEL
        ltr     ax

        PRINT   s_cpl0
        TRY     s_in_denied, 0x201, {in al, dx}
        TRY_STRING s_rep_ins_denied, 0x201, 2, {rep insb}

        push    dword UDATA
        push    dword ustack_top
        push    dword 0x0002                    ; IOPL 0
        push    dword UCODE
        push    dword user_main
        iretd

exit_gate:
        PRINT   s_done
        EXIT    0

; INT 0x31: back to ring 3 with IOPL 3
iopl3_gate:
        or      dword [esp + 8], 0x3000
        iretd

; ---------------------------------------------------------------------------------------------
user_main:
        mov     ax, UDATA
        mov     ds, ax
        mov     es, ax
        PRINT   s_cpl3
        TRY     s_in_200, 0x200, {in al, dx}
        TRY     s_in_201, 0x201, {in al, dx}
        TRY     s_inw_200, 0x200, {in ax, dx}
        TRY     s_inw_202, 0x202, {in ax, dx}
        TRY     s_ind_200, 0x200, {in eax, dx}
        TRY     s_outw_207, 0x207, {out dx, ax}
        TRY     s_inw_20f, 0x20F, {in ax, dx}
        TRY     s_in_imm, 0, {in al, 0xE8}
        TRY     s_in_3ff, 0x3FF, {in al, dx}
        TRY     s_inw_3ff, 0x3FF, {in ax, dx}
        TRY     s_in_400, 0x400, {in al, dx}
        TRY_STRING s_rep_insb_201, 0x201, 4, {rep insb}
        TRY_STRING s_rep_insw_200, 0x200, 2, {rep insw}
        TRY_STRING s_rep_outsd_202, 0x202, 2, {rep outsd}
        TRY_STRING s_rep_insb_0, 0x201, 0, {rep insb}
        TRY_STRING s_rep_outsb_0, 0x201, 0, {rep outsb}
        TRY_STRING s_insb_200, 0x200, 1, {insb}
        TRY_STRING s_rep_outsb_200, 0x200, 4, {rep outsb}
        TRY_STRING s_rep_outsw_202, 0x202, 2, {rep outsw}
        TRY_STRING s_rep_outsb_0_ok, 0x200, 0, {rep outsb}

        ; the bitmap base beyond the limit: no bitmap, every port denied (the console too, so
        ; the base is put back before the line ends)
        PRINT   s_no_bitmap
        mov     word [tss + 102], 0x1000
        mov     edx, 0x200
        EXPECT  .back
        in      al, dx
        mov     word [tss + 102], BITMAP
        PRINT   s_ok
.back:  mov     word [tss + 102], BITMAP
        NEWLINE

        int     INT_IOPL3
        PRINT   s_iopl3
        TRY     s_in_201, 0x201, {in al, dx}
        TRY_STRING s_rep_insb_201, 0x201, 1, {rep insb}
        int     INT_EXIT

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 ring 0 code
        dq      0x00CF92000000FFFF      ; 0x10 ring 0 data
        dq      0x00CFFA000000FFFF      ; 0x18 ring 3 code
        dq      0x00CFF2000000FFFF      ; 0x20 ring 3 data
        dw      TSS_LIMIT, 0, 0x8900, 0 ; 0x28 TSS (base filled in)
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      (INT_IOPL3 + 1) * 8 - 1
        dd      idt

s_cpl0:            db "cpl 0, iopl 0", 10, 0
s_cpl3:            db "cpl 3, iopl 0", 10, 0
s_iopl3:           db "cpl 3, iopl 3", 10, 0
s_in_denied:       db "in al, dx (0x201, denied): ", 0
s_rep_ins_denied:  db "rep insb (0x201, denied): ", 0
s_in_200:          db "in al, dx (0x200): ", 0
s_in_201:          db "in al, dx (0x201): ", 0
s_inw_200:         db "in ax, dx (0x200-0x201): ", 0
s_inw_202:         db "in ax, dx (0x202-0x203): ", 0
s_ind_200:         db "in eax, dx (0x200-0x203): ", 0
s_outw_207:        db "out dx, ax (0x207-0x208, two bitmap bytes): ", 0
s_inw_20f:         db "in ax, dx (0x20f-0x210, two bitmap bytes): ", 0
s_in_imm:          db "in al, 0xe8: ", 0
s_in_3ff:          db "in al, dx (0x3ff, the bitmap's last byte): ", 0
s_inw_3ff:         db "in ax, dx (0x3ff-0x400, 0x400 in the byte after the bitmap): ", 0
s_in_400:          db "in al, dx (0x400, the bitmap bytes reach beyond the limit): ", 0
s_rep_insb_201:    db "rep insb (0x201): ", 0
s_rep_insw_200:    db "rep insw (0x200-0x201): ", 0
s_rep_outsd_202:   db "rep outsd (0x202-0x205): ", 0
s_rep_insb_0:      db "rep insb, ecx=0 (0x201): ", 0
s_rep_outsb_0:     db "rep outsb, ecx=0 (0x201): ", 0
s_insb_200:        db "insb (0x200): ", 0
s_rep_outsb_200:   db "rep outsb (0x200): ", 0
s_rep_outsw_202:   db "rep outsw (0x202-0x203): ", 0
s_rep_outsb_0_ok:  db "rep outsb, ecx=0 (0x200): ", 0
s_no_bitmap:       db "in al, dx (0x200) with the bitmap base beyond the limit: ", 0
s_ok:              db "ok ", 0
s_buffer:          db "buffer=", 0
s_ecx:             db "ecx=", 0
s_esi:             db "esi=+", 0
s_edi:             db "edi=+", 0
s_done:            db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
idt:            resb (INT_IOPL3 + 1) * 8
tss:            resb TSS_LIMIT + 1
        alignb  4
buffer:         resb 64
site:           resd 1
resume:         resd 1
phase_esp:      resd 1
phase_next:     resd 1
        alignb  16
                resb 8192
kstack_top:
                resb 8192
ustack_top:
bss_end:
