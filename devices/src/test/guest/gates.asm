; Test guest: call gates. Ring 3 calls ring 0 through a 32-bit and a 16-bit call gate that copy
; three parameters; the gate targets record the stack the CPU switched to (SS:ESP from the TSS)
; and what it pushed there (the outer SS:ESP, the copied parameters, the return CS:EIP), and return
; with RETF 12 / RETF 6, which also nulls the data segment registers of the inner level. A far JMP
; through a gate to the same level, a call to ring 1, and the faults of the SDM's CALL and JMP
; (vol. 2): gate DPL < CPL (#GP gate), target code DPL > CPL (#GP code), JMP to a more privileged
; non-conforming segment (#GP code), a gate or a target not present (#NP), a bad inner stack in
; the TSS (#TS stack selector). Each fault prints its vector, error code and saved EIP relative to
; the instruction (+0). INT through a 16-bit interrupt gate from ring 3 (a 16-bit frame on the
; TSS stack, a 16-bit IRET back).
; Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin gates.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
UCODE           equ 0x18 | 3
UDATA           equ 0x20 | 3
TSS_SEL         equ 0x28
GATE32          equ 0x30 | 3            ; 32-bit call gate, DPL 3, 3 dwords, to KCODE:gate32_target
GATE16          equ 0x38 | 3            ; 16-bit call gate, DPL 3, 3 words, to KCODE16:0
KCODE16         equ 0x40                ; 16-bit ring-0 code at gate16_code
UCODE_B         equ 0x48 | 3            ; 32-bit ring-3 code based at the image (EIP < 64 KiB)
USTACK16        equ 0x50 | 3            ; 16-bit ring-3 stack
GATE_DPL0       equ 0x58 | 3            ; call gate, DPL 0, to KCODE
GATE_NP         equ 0x60 | 3            ; call gate, DPL 3, not present
GATE_TO_USER    equ 0x68                ; call gate, DPL 0, to UCODE
GATE_JMP        equ 0x70 | 3            ; call gate, DPL 3, to UCODE:jmp_target
GATE_RING1      equ 0x78 | 3            ; call gate, DPL 3, to CODE1:ring1_target
CODE1           equ 0x80                ; ring-1 code
CODE_NP         equ 0x88                ; ring-0 code, not present
GATE_TO_NP      equ 0x90 | 3            ; call gate, DPL 3, to CODE_NP
DATA1           equ 0x98 | 1            ; ring-1 data

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"
%include "sysfaults.inc"

; CALL_GATE gdt_offset, target, selector, param count, type/attr byte
%macro SET_GATE 4
        mov     eax, %2
        mov     [gdt + %1], ax
        mov     word [gdt + %1 + 2], %3
        mov     byte [gdt + %1 + 4], %4
        shr     eax, 16
        mov     [gdt + %1 + 6], ax
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
        ; INT 0x41: 16-bit interrupt gate, DPL 3, to KCODE16:int16_code
        mov     word [idt + 0x41 * 8], int16_code - gate16_code
        mov     word [idt + 0x41 * 8 + 2], KCODE16
        mov     word [idt + 0x41 * 8 + 4], 0xE600
        mov     word [idt + 0x41 * 8 + 6], 0
        lidt    [idt_pointer]

        mov     edi, gdt + TSS_SEL
        mov     eax, tss
        call    set_base
        mov     edi, gdt + (KCODE16 & ~7)
        mov     eax, gate16_code
        call    set_base
        mov     edi, gdt + (USTACK16 & ~7)
        mov     eax, ustack16
        call    set_base
        SET_GATE 0x30, gate32_target, KCODE, 3
        SET_GATE 0x38, 0, KCODE16, 3
        SET_GATE 0x58, gate32_target, KCODE, 0
        SET_GATE 0x60, gate32_target, KCODE, 0
        SET_GATE 0x68, jmp_target, UCODE, 0
        SET_GATE 0x70, jmp_target, UCODE, 0
        SET_GATE 0x78, ring1_target, CODE1, 0
        SET_GATE 0x90, gate32_target, CODE_NP, 0
        mov     dword [tss + 4], kstack_top     ; ESP0
        mov     dword [tss + 8], KDATA          ; SS0
        mov     dword [tss + 12], stack1_top    ; ESP1
        mov     dword [tss + 16], KDATA         ; SS1: DPL 0 for a ring-1 stack, #TS
        mov     word [tss + 102], 104           ; no I/O bitmap
        mov     ax, TSS_SEL
        ltr     ax

        PRINT   s_to_user
        EXPECT  .1
        call    GATE_TO_USER:0
.1:     NEWLINE

        mov     [phase_esp], esp
        push    dword UDATA
        push    dword ustack_top
        push    dword 0x3002                    ; IOPL 3: ring 3 prints on port 0xE9
        push    dword UCODE
        push    dword user_main
        iretd

; ring 0, reached through GATE32: records SS, ESP and the 7 dwords the CPU pushed
gate32_target:
        mov     [rec_esp], esp
        mov     [rec_ss], ss
        mov     esi, esp
        mov     edi, rec_frame
        mov     ecx, 7
        cld
        rep movsd
        mov     ax, KDATA                       ; null again once back in ring 3
        mov     ds, ax
        mov     es, ax
        retf    12

; ring 1, reached through GATE_RING1
ring1_target:
        mov     [rec_esp], esp
        mov     [rec_ss], ss
        mov     eax, cs
        mov     [rec_frame], eax
        retf

; ring 3, reached through GATE_JMP
jmp_target:
        mov     [rec_esp], esp
        mov     eax, cs
        mov     [rec_frame], eax
        jmp     user_main.jmp_back

; ring 0, 16-bit, reached through GATE16: records SS, ESP and the 7 words the CPU pushed
        bits 16
gate16_code:
        mov     [dword rec_esp], esp
        mov     [dword rec_ss], ss
        xor     ecx, ecx
.copy:  mov     ax, [ss:esp + ecx * 2]
        mov     [dword rec_frame + ecx * 4], ax
        mov     word [dword rec_frame + ecx * 4 + 2], 0
        inc     ecx
        cmp     ecx, 7
        jb      .copy
        mov     ax, KDATA
        mov     ds, ax
        retf    6

; ring 0, 16-bit, reached through INT 0x41: records SS, ESP and the 5 words the CPU pushed
int16_code:
        mov     [dword rec_esp], esp
        mov     [dword rec_ss], ss
        xor     ecx, ecx
.copy:  mov     ax, [ss:esp + ecx * 2]
        mov     [dword rec_frame + ecx * 4], ax
        mov     word [dword rec_frame + ecx * 4 + 2], 0
        inc     ecx
        cmp     ecx, 5
        jb      .copy
        iret
        bits 32

; print_frame: "ss=.. esp0-esp=.. eip=+.. cs=.. params=.. .. .. outer esp=+.. ss=.." from the record
; (EAX: the return label, EBX: the outer ESP before the parameters were pushed, EDX: ESP0)
print_frame:
        push    ecx
        mov     ecx, [rec_ss]
        and     ecx, 0xFFFF
        PRINTHEX s_ss, ecx
        mov     ecx, edx
        sub     ecx, [rec_esp]
        PRINTHEX s_depth, ecx
        mov     ecx, [rec_frame]
        sub     ecx, eax
        PRINTHEX s_eip, ecx
        PRINTHEX s_cs, [rec_frame + 4]
        PRINTHEX s_params, [rec_frame + 8]
        PRINTHEX s_empty, [rec_frame + 12]
        PRINTHEX s_empty, [rec_frame + 16]
        mov     ecx, ebx
        sub     ecx, [rec_frame + 20]
        PRINTHEX s_outer_esp, ecx
        PRINTHEX s_ss, [rec_frame + 24]
        pop     ecx
        ret

; ---------------------------------------------------------------------------------------------
user_main:
        mov     ax, UDATA               ; IRET to ring 3 nulled DS and ES (DPL 0 < CPL 3)
        mov     ds, ax
        mov     es, ax
        PRINT   s_gate32
        mov     ebx, esp
        push    dword 0x11111111
        push    dword 0x22222222
        push    dword 0x33333333
        call    GATE32:0
.ret32: mov     ecx, ds
        mov     edx, es
        mov     ax, UDATA
        mov     ds, ax
        mov     es, ax
        mov     eax, .ret32
        push    edx
        mov     edx, kstack_top
        call    print_frame
        pop     edx
        NEWLINE
        PRINT   s_after
        mov     eax, ebx
        sub     eax, esp
        PRINTHEX s_esp_delta, eax
        PRINTHEX s_ds, ecx
        PRINTHEX s_es, edx
        NEWLINE

        PRINT   s_gate16
        mov     [saved_esp], esp
        jmp     UCODE_B:(.in_b - 0x100000)
.in_b:  mov     ax, USTACK16
        mov     ss, ax
        mov     esp, 0x800
        push    word 0x1111
        push    word 0x2222
        push    word 0x3333
        call    GATE16:0
.ret16: mov     ecx, ds
        mov     ax, UDATA
        mov     ds, ax
        mov     [sp_after], sp
        mov     ss, ax
        mov     esp, [saved_esp]
        jmp     UCODE:.flat_again
.flat_again:
        mov     eax, .ret16 - 0x100000
        mov     ebx, 0x800
        mov     edx, kstack_top
        call    print_frame
        NEWLINE
        PRINT   s_after
        movzx   eax, word [sp_after]
        PRINTHEX s_sp, eax
        PRINTHEX s_ds, ecx
        NEWLINE

        PRINT   s_int16
        mov     dword [rec_esp], 0
        mov     [saved_esp], esp
        jmp     UCODE_B:(.in_b2 - 0x100000)
.in_b2: mov     ax, USTACK16
        mov     ss, ax
        mov     esp, 0x800
        int     0x41
.ret_int16:
        mov     [sp_after], sp
        mov     ax, UDATA
        mov     ss, ax
        mov     esp, [saved_esp]
        jmp     UCODE:.flat3
.flat3: mov     eax, [rec_ss]
        and     eax, 0xFFFF
        PRINTHEX s_ss, eax
        mov     eax, kstack_top
        sub     eax, [rec_esp]
        PRINTHEX s_depth, eax
        mov     eax, [rec_frame]
        sub     eax, .ret_int16 - 0x100000
        PRINTHEX s_eip, eax
        PRINTHEX s_cs, [rec_frame + 4]
        mov     eax, [rec_frame + 8]
        and     eax, 0x3000
        PRINTHEX s_iopl, eax
        PRINTHEX s_sp, [rec_frame + 12]
        PRINTHEX s_ss, [rec_frame + 16]
        movzx   eax, word [sp_after]
        PRINTHEX s_sp_after, eax
        NEWLINE

        PRINT   s_jmp
        mov     ebx, esp
        jmp     GATE_JMP:0
.jmp_back:
        PRINTHEX s_cs, [rec_frame]
        mov     eax, ebx
        sub     eax, [rec_esp]
        PRINTHEX s_esp_delta, eax
        NEWLINE

        PRINT   s_dpl0
        EXPECT  .2
        call    GATE_DPL0:0
.2:     NEWLINE
        PRINT   s_np
        EXPECT  .3
        call    GATE_NP:0
.3:     NEWLINE
        PRINT   s_np_code
        EXPECT  .4
        call    GATE_TO_NP:0
.4:     NEWLINE
        PRINT   s_jmp_inner
        EXPECT  .5
        jmp     GATE32:0
.5:     NEWLINE
        PRINT   s_ts
        EXPECT  .6
        call    GATE_RING1:0
.6:     NEWLINE

        PRINT   s_ring1
        mov     dword [tss + 16], DATA1
        call    GATE_RING1:0
        PRINTHEX s_cs, [rec_frame]
        mov     eax, [rec_ss]
        and     eax, 0xFFFF
        PRINTHEX s_ss, eax
        mov     eax, stack1_top
        sub     eax, [rec_esp]
        PRINTHEX s_depth, eax
        NEWLINE

        PRINT   s_done
        EXIT    0

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 ring 0 code
        dq      0x00CF92000000FFFF      ; 0x10 ring 0 data
        dq      0x00CFFA000000FFFF      ; 0x18 ring 3 code
        dq      0x00CFF2000000FFFF      ; 0x20 ring 3 data
        dq      0x0000890000000067      ; 0x28 TSS
        dq      0x0000EC0000000000      ; 0x30 32-bit call gate, DPL 3
        dq      0x0000E40000000000      ; 0x38 16-bit call gate, DPL 3
        dq      0x00009A000000FFFF      ; 0x40 16-bit ring 0 code
        dq      0x00CFFA100000FFFF      ; 0x48 ring 3 code, base 0x100000
        dq      0x0000F2000000FFFF      ; 0x50 16-bit ring 3 stack
        dq      0x00008C0000000000      ; 0x58 32-bit call gate, DPL 0
        dq      0x00006C0000000000      ; 0x60 32-bit call gate, DPL 3, not present
        dq      0x00008C0000000000      ; 0x68 32-bit call gate, DPL 0
        dq      0x0000EC0000000000      ; 0x70 32-bit call gate, DPL 3
        dq      0x0000EC0000000000      ; 0x78 32-bit call gate, DPL 3
        dq      0x00CFBA000000FFFF      ; 0x80 ring 1 code
        dq      0x00CF1A000000FFFF      ; 0x88 ring 0 code, not present
        dq      0x0000EC0000000000      ; 0x90 32-bit call gate, DPL 3
        dq      0x00CFB2000000FFFF      ; 0x98 ring 1 data
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      0x42 * 8 - 1
        dd      idt

s_to_user:   db "ring 0 call to a ring-3 target: ", 0
s_gate32:    db "32-bit gate: ", 0
s_gate16:    db "16-bit gate: ", 0
s_after:     db "after retf: ", 0
s_int16:     db "int 0x41, 16-bit interrupt gate: ", 0
s_iopl:      db "iopl=", 0
s_sp_after:  db "sp after iret=", 0
s_jmp:       db "jmp through a gate: ", 0
s_dpl0:      db "gate dpl 0: ", 0
s_np:        db "gate not present: ", 0
s_np_code:   db "target not present: ", 0
s_jmp_inner: db "jmp to ring 0: ", 0
s_ts:        db "ring-1 stack of dpl 0: ", 0
s_ring1:     db "ring 1: ", 0
s_ss:        db "ss=", 0
s_sp:        db "sp=", 0
s_depth:     db "esp0-esp=", 0
s_eip:       db "eip=+", 0
s_cs:        db "cs=", 0
s_params:    db "params=", 0
s_empty:     db 0
s_outer_esp: db "outer esp=-", 0
s_esp_delta: db "esp moved=", 0
s_ds:        db "ds=", 0
s_es:        db "es=", 0
s_done:      db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
idt:            resb 0x42 * 8
tss:            resb 104
site:           resd 1
resume:         resd 1
phase_esp:      resd 1
phase_next:     resd 1
rec_esp:        resd 1
rec_ss:         resd 1
rec_frame:      resd 7
saved_esp:      resd 1
sp_after:       resd 1
        alignb  16
ustack16:       resb 4096
                resb 4096
stack1_top:
                resb 8192
kstack_top:
                resb 8192
ustack_top:
bss_end:
